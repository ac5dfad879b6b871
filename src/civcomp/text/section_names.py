"""The names of the sections of a job posting, and the ones coded by default (:mod:`civcomp.text.sections`)."""

SECTIONS = (
    "header",
    "general_requirements",
    "duties",
    "requirements",
    "skills",
    "documents",
    "employer",
    "benefits",
    "conditions",
    "contacts",
    "legal",
    "notes",
    "education",
    "unsectioned",
)
DEFAULT_CODING_SECTIONS = ("general_requirements", "duties", "requirements", "skills")
UNSECTIONED = "unsectioned"
