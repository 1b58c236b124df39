import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0004_authorities_from_issuer_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificatetype',
            name='authority',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificate_types', to='certificates.issuingauthority', verbose_name='issuing authority'),
        ),
        migrations.RemoveField(
            model_name='certificatetype',
            name='issuer_name',
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(('revoked_at__isnull', True), ('status', 'revoked'), _negated=True), name='revoked_certificate_has_date'),
        ),
    ]
