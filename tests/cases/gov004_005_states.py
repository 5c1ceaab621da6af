"""GOV004 (invalid state reaching metrics) and GOV005 (invalid lifecycle enum members)."""
import enum

from app.lifecycle import PluginLifecycleState as LS
from app.registry import update_execution_metrics as record
from app import states

FINAL = "ERROR"  # expect: GOV004:9
GOOD = "FAILED"


class LifecycleState(str, enum.Enum):
    LOADED = "LOADED"
    INITIALIZED = "INITIALIZED"
    SUCCESS = "SUCCESS"  # expect: GOV005:5
    __slots__ = ()
    _ignore_ = "x"


class JobStatus(str, enum.Enum):
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


def literals(registry, name, ok):
    update_execution_metrics(name, "SUCCESS", 1, False)  # expect: GOV004:36
    registry.update_execution_metrics(name, state="ERROR")  # expect: GOV004:51
    record(name, "SUCCESS")  # expect: GOV004:18
    update_execution_metrics(name, "INITIALIZED", 1, False)
    update_execution_metrics(name, "RUNNING" if ok else "ERROR")  # expect: GOV004:57
    update_execution_metrics(name, JobStatus.SUCCESS)
    update_execution_metrics(name, ok)
    update_execution_metrics(name, compute())
    update_execution_metrics("SUCCESS")


def locals_and_constants(name, ok):
    final_state = "SUCCESS"  # expect: GOV004:19
    if not ok:
        final_state = "FAILED"
    update_execution_metrics(name, final_state, 1, not ok)
    update_execution_metrics(name, FINAL, 1, not ok)
    update_execution_metrics(name, GOOD, 1, not ok)
    update_execution_metrics(name, final_state, 1, not ok)


def members(name):
    # An invalid member is reported once, as GOV005, even where it reaches the call.
    update_execution_metrics(name, LifecycleState.SUCCESS, 1, False)  # expect: GOV005:36
    update_execution_metrics(name, LifecycleState.ERROR.value, 1, False)  # expect: GOV005:36
    update_execution_metrics(name, LifecycleState.FAILED.value, 1, False)
    update_execution_metrics(name, LifecycleState.RUNNING, 1, False)


def enum_uses():
    a = LS.SUCCESS  # expect: GOV005:9
    b = states.LifecycleState.ERROR  # expect: GOV005:9
    c = LifecycleState["SUCCESS"]  # expect: GOV005:9
    d = PluginLifecycleState("ERROR")  # expect: GOV005:9
    e = LifecycleState.__members__
    f = LifecycleState.RUNNING
    g = LifecycleState.value_of
    h = JobStatus.SUCCESS
    i = "SUCCESS"
    return a, b, c, d, e, f, g, h, i
