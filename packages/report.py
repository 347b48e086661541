"""Reports instead of exceptions: every step says what it did and what is wrong, in Chinese."""

from dataclasses import dataclass, field


@dataclass
class Problem:
    message: str
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    code: str = "invalid"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, message: str, **where) -> None:
        self.problems.append(Problem(message, **where))

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "problems": [p.as_dict() for p in self.problems],
            "notes": list(self.notes),
            "steps": list(self.steps),
            "resources": list(self.resources),
        }


class Refused(Exception):
    """Raised inside a step to stop the pipeline; the caller turns it into a Report problem."""

    def __init__(self, message: str, **where):
        super().__init__(message)
        self.problem = Problem(message, **where)
