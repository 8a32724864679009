"""Fixed vocabularies for the roster (census groups, ranks, HR event kinds)."""

from __future__ import annotations

from django.db import models

PREFER_NOT = "prefer_not_to_say"


class Ethnicity(models.TextChoices):
    """England and Wales 2021 census, 19 groups (with the 5 high-level groups as prefixes)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian: Other Asian"
    BLACK_AFRICAN = "black_african", "Black: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black: Caribbean"
    BLACK_OTHER = "black_other", "Black: Other Black"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed: White and Black Caribbean"
    MIXED_OTHER = "mixed_other", "Mixed: Other Mixed"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other: Arab"
    OTHER_ANY = "other_any", "Other: Any other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


ETHNIC_GROUPS = {"asian": "Asian", "black": "Black", "mixed": "Mixed", "white": "White", "other": "Other"}


def ethnic_group(code: str | None) -> str | None:
    """The 2021 census high-level group ("Black", "White", …) of a detailed code."""
    if not code or code == PREFER_NOT:
        return None
    return ETHNIC_GROUPS.get(code.split("_", 1)[0])


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    MUSLIM = "muslim", "Muslim"
    HINDU = "hindu", "Hindu"
    SIKH = "sikh", "Sikh"
    JEWISH = "jewish", "Jewish"
    BUDDHIST = "buddhist", "Buddhist"
    OTHER = "other", "Other"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class StaffKind(models.TextChoices):
    OFFICER = "officer", "Police officer"
    STAFF = "staff", "Police staff"


OFFICER_RANKS = [
    "Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Chief Superintendent",
    "Commander", "Deputy Assistant Commissioner", "Assistant Commissioner",
]
STAFF_GRADES = ["Band E", "Band D", "Band C", "Band B", "Band A", "Senior Leader"]


class HREventKind(models.TextChoices):
    JOINED = "joined", "Joined"
    TRANSFER = "transfer", "Transfer"
    PROMOTION_BOARD = "promotion_board", "Promotion board"
    PROMOTED = "promoted", "Promoted"
    DEVELOPMENT = "development", "Development opportunity"
    PERFORMANCE_RATING = "performance_rating", "Performance rating"
    SICKNESS = "sickness", "Sickness absence"
    ATTENDANCE_PROCEDURE = "attendance_procedure", "Attendance procedure"
    CAPABILITY_PROCEDURE = "capability_procedure", "Capability procedure"
    GRIEVANCE_AGAINST = "grievance_against", "Grievance raised against"
    DISCIPLINARY_AGAINST = "disciplinary_against", "Disciplinary opened against"
    SUSPENDED = "suspended", "Suspended"
    RESTRICTED_DUTIES = "restricted_duties", "Restricted duties"
    LEFT = "left", "Left"


class HROutcome(models.TextChoices):
    """Outcome of an HR event where one applies (boards, applications, ratings)."""

    APPLIED = "applied", "Applied"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    PROMOTED = "promoted", "Promoted"
    NOT_PROMOTED = "not_promoted", "Not promoted"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    REQUESTED = "requested", "At own request"
    NOT_REQUESTED = "not_requested", "Not requested"


class LeavingReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    DISMISSED = "dismissed", "Dismissed"
    END_OF_CONTRACT = "end_of_contract", "End of contract"
    MEDICAL = "medical", "Medical retirement"
    DIED = "died", "Died"
    TRANSFERRED_OUT = "transferred_out", "Transferred to another force"


class AssociationKind(models.TextChoices):
    LODGE = "lodge", "Lodge or other hierarchical society"
    BUSINESS = "business", "Business interest"
    RELATIONSHIP = "relationship", "Relationship at work"
    OTHER = "other", "Other"
