"""Question files of other LMSs: readers for Moodle XML (``moodle_xml``) and GIFT
(``gift``) giving ``common.QuestionData`` and ``common.Problem`` entries, and a Moodle XML
writer (``export``). Nothing here touches the database; ``assessments.banks`` does."""
