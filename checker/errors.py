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


class HostKeyError(ZichaError):
    stage = "hostkeys"


class OpaUnavailable(EvaluateError):
    """OPA could not be reached or did not answer in time: a fault of the server, not of the policies."""


class Interrupted(BaseException):
    """SIGTERM (or SIGINT) arrived. A BaseException, like KeyboardInterrupt, so that no `except Exception` on
    the way (a retry loop, a best-effort cleanup) can swallow it."""


#: the signal that asked zicha to stop, kept by the handler: an exception raised while Python runs a finalizer
#: (weakref.finalize, __del__) is printed and dropped, so the stages also look here (raise_if_interrupted)
_pending: list[int] = []


def note_interrupt(signum: int) -> None:
    _pending.append(signum)


def clear_interrupts() -> None:
    """A new command starts with no signal pending (zicha's CLI called again in one process, as the tests do)."""
    _pending.clear()


def raise_if_interrupted() -> None:
    """Raise Interrupted if a signal asked zicha to stop and its exception was lost on the way."""
    if _pending:
        raise Interrupted(f"signal {_pending[0]}")
