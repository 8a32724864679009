"""The knobs of the synthetic force: size, time span, planted rates and the proportions of a large UK force.

Proportions follow the published Metropolitan Police workforce figures in round numbers (about 60% officers, a
rank pyramid with Constables about three quarters of officers, about 80% White, 6% Asian, 4% Black, 4% Mixed, 2%
Other and the rest not stated); they are approximations for realism, not data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_END_DATE = date(2026, 6, 30)
DEFAULT_RELATIVE_RATE = 1.81
DEFAULT_RETALIATION_EXCESS = 0.25
DEFAULT_REPORTER_ATTRITION = 3.0  # pick weight of colleagues who leave within two years (cases.py): ~1.8x leaving
DEFAULT_FEMALE_CASE_TO_ANSWER = 0.6  # factor on the case-to-answer probability when a woman complained (cases.py)

# Detailed census codes with their share of the workforce. Groups: White 80, Asian 6, Black 4, Mixed 4, Other 2,
# prefer not to say 4 (percent).
ETHNICITY_SHARES = {
    "white_british": 0.640, "white_irish": 0.020, "white_gypsy_traveller": 0.002, "white_roma": 0.001,
    "white_other": 0.137,
    "asian_indian": 0.022, "asian_pakistani": 0.012, "asian_bangladeshi": 0.010, "asian_chinese": 0.005,
    "asian_other": 0.011,
    "black_african": 0.017, "black_caribbean": 0.017, "black_other": 0.006,
    "mixed_white_black_caribbean": 0.014, "mixed_white_black_african": 0.007, "mixed_white_asian": 0.010,
    "mixed_other": 0.009,
    "other_arab": 0.006, "other_any": 0.014,
    "prefer_not_to_say": 0.040,
}

FEMALE_SHARE = {"officer": 0.30, "staff": 0.60}
PREFER_NOT_SEX = 0.005
OFFICER_SHARE = 0.60

# Officer rank indices into OFFICER_RANKS; staff grade indices into STAFF_GRADES.
PC, PS, INSP, CI, SUPT, CSUPT, CMDR, DAC, AC = range(9)
BAND_E, BAND_D, BAND_C, BAND_B, BAND_A, SENIOR = range(6)

# Per person-year background rates (see docs/worldgen.md for what each means).
RATES = {
    "transfer": 0.07,
    "sickness": 0.45,
    "development": 0.05,
    "board": 0.035,  # extra promotion boards that do not lead to the person's current rank
    "grievance_against": 0.006,  # managers only
    "capability": 0.004,
    "public_complaint": 0.10,  # officers, scaled by rank and unit
    "internal_misconduct": 0.030,  # officers, White baseline: an internally raised allegation assessed as misconduct
    "internal_minor": 0.030,  # internally raised, assessed as no case to answer or practice requiring improvement
    "staff_internal": 0.025,  # police staff as subjects of internal reports
    "leave_officer": 0.055,
    "leave_staff": 0.080,
}


@dataclass(frozen=True)
class WorldConfig:
    staff: int
    years: int
    seed: int
    end_date: date = DEFAULT_END_DATE
    relative_rate: float = DEFAULT_RELATIVE_RATE
    retaliation_excess: float = DEFAULT_RETALIATION_EXCESS
    mention_noise: str = "default"  # or "heavy": more slips in how reports name subjects (mentions.py)
    reporter_attrition: float = DEFAULT_REPORTER_ATTRITION
    female_case_to_answer: float = DEFAULT_FEMALE_CASE_TO_ANSWER

    def __post_init__(self) -> None:
        if self.staff < 100:
            raise ValueError("a force needs at least 100 staff")
        if not 1 <= self.years <= 40:
            raise ValueError("years must be between 1 and 40")
        if self.relative_rate <= 0:
            raise ValueError("the relative rate must be positive")
        if not 0 <= self.retaliation_excess <= 1:
            raise ValueError("the retaliation excess rate is a probability between 0 and 1")
        if self.mention_noise not in ("default", "heavy"):
            raise ValueError("mention noise is 'default' or 'heavy'")
        if self.reporter_attrition <= 0:
            raise ValueError("the reporter attrition ratio must be positive")
        if not 0 <= self.female_case_to_answer <= 1.4:
            raise ValueError("the case-to-answer factor for complaints by women must be between 0 and 1.4")

    @property
    def end(self) -> int:
        return self.end_date.toordinal()

    @property
    def start(self) -> int:
        try:
            begin = self.end_date.replace(year=self.end_date.year - self.years)
        except ValueError:  # 29 February
            begin = self.end_date.replace(year=self.end_date.year - self.years, day=28)
        return begin.toordinal() + 1

    def planted(self, per: int, minimum: int = 2) -> int:
        """How many of a planted pattern a world of this size gets: one per `per` staff, at least `minimum`."""
        return max(minimum, self.staff // per)
