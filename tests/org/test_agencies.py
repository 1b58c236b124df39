import pytest
from django.core.management import call_command

from lms.org.models import Agency, AgencyKind
from lms.org.services import agencies_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return agencies_seed()


def test_real_tree_counts_and_codes(seeded):
    assert seeded.created == 3375
    assert Agency.objects.filter(kind=AgencyKind.PROVINCE).count() == 34
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() == 2621
    assert Agency.objects.filter(kind=AgencyKind.WARD).count() == 687
    assert Agency.objects.filter(kind=AgencyKind.SPECIAL_ZONE).count() == 13
    assert Agency.objects.filter(kind=AgencyKind.MINISTRY).count() == 14
    assert Agency.objects.filter(kind=AgencyKind.MINISTERIAL_AGENCY).count() == 3
    hanoi = Agency.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    hong_ha = Agency.objects.get(code="00097")
    assert hong_ha.name == "Phường Hồng Hà"
    assert hong_ha.get_parent().code == "01"
    assert hanoi.get_parent().code == "DP"
    assert Agency.objects.get(code="VPCP").get_parent().code == "TW"
    assert Agency.find_problems() == ([], [], [], [], [])
    assert all(node.numchild == node.get_children_count()
               for node in Agency.objects.filter(depth__lte=3))


def test_rerun_is_a_no_op_and_updates_names(seeded, capsys):
    before = list(Agency.objects.order_by("path").values_list("path", "code", "name"))
    call_command("seed_agencies")
    assert "0 created, 0 updated, 3375 unchanged" in capsys.readouterr().out
    assert list(Agency.objects.order_by("path").values_list("path", "code", "name")) == before
    Agency.objects.filter(code="00097").update(name="Tên cũ")
    result = agencies_seed()
    assert (result.created, result.updated) == (0, 1)
    assert Agency.objects.get(code="00097").name == "Phường Hồng Hà"


def test_new_units_are_appended_under_existing_parents(seeded):
    from lms.org.services import AgencySpec, agency_tree_specs

    specs = [*agency_tree_specs(),
             AgencySpec(code="01-SNV", name="Sở Nội vụ", kind=AgencyKind.UNIT,
                        parent_code="01")]
    result = agencies_seed(specs=specs)
    assert result.created == 1
    unit = Agency.objects.get(code="01-SNV")
    assert unit.get_parent().code == "01"
    assert Agency.objects.get(code="01").numchild == 127
    assert Agency.find_problems() == ([], [], [], [], [])
