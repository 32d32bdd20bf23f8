"""One family of errors. Library code raises these; only the CLI turns them into a line and exit code 2."""


class ZichaError(Exception):
    """Base of every error zicha raises on purpose. The message names the stage and the object."""

    stage = "zicha"

    def __str__(self) -> str:  # "gather: inventory/x.yml: ..."
        return f"{self.stage}: {super().__str__()}"


class SetupError(ZichaError):
    stage = "setup"


class InventoryError(ZichaError):
    stage = "inventory"


class GatherError(ZichaError):
    stage = "gather"


class NormalizeError(ZichaError):
    stage = "normalize"


class EvaluateError(ZichaError):
    stage = "evaluate"


class OutputError(ZichaError):
    stage = "output"
