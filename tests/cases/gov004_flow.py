"""GOV004 follows the assignments that can reach the metrics call (reaching definitions)."""


def overwritten_before_the_call(job, name):
    status = "SUCCESS"
    while job.status != status:
        job.refresh()
    status = job.lifecycle_state
    update_execution_metrics(name, status)


def merged_by_an_if(name, ok):
    status = "SUCCESS"  # expect: GOV004:14
    if ok:
        status = "FAILED"
    update_execution_metrics(name, status)


def overwritten_on_both_branches(name, ok):
    status = "SUCCESS"
    if ok:
        status = "FAILED"
    else:
        status = "RUNNING"
    update_execution_metrics(name, status)


def loop_back_edge(name, items):
    state = "ERROR"  # expect: GOV004:13
    for item in items:
        update_execution_metrics(name, state)
        state = "BOGUS"  # expect: GOV004:17


def try_body_may_not_run(name):
    state = "DONE"  # expect: GOV004:13
    try:
        state = "FAILED"
    finally:
        update_execution_metrics(name, state)


def with_body_always_runs(name):
    state = "DONE"
    with open(name) as handle:
        state = "FAILED"
    update_execution_metrics(name, state)


def handler_sees_the_try_body(name):
    state = "RUNNING"
    try:
        state = "HALF"  # expect: GOV004:17
        state = "FAILED"
    except Exception:
        update_execution_metrics(name, state)


def else_after_a_complete_body(name):
    state = "DONE"
    try:
        state = "FAILED"
    except Exception:
        pass
    else:
        update_execution_metrics(name, state)


def chained_names(name):
    first = "SUCCESS"  # expect: GOV004:13
    second = first
    update_execution_metrics(name, second)


def walrus_in_the_test(name):
    if (state := "ERROR"):  # expect: GOV004:18
        update_execution_metrics(name, state)


def closure_reads_late(name):
    state = "SUCCESS"  # expect: GOV004:13

    def record():
        update_execution_metrics(name, state)

    state = "FAILED"
    return record


def deleted_then_rebound(name):
    state = "SUCCESS"
    del state
    state = "FAILED"
    update_execution_metrics(name, state)


STATE = "SUCCESS"  # expect: GOV004:9
update_execution_metrics("module", STATE)  # module level: flow-sensitive too
STATE = "ERROR"  # expect: GOV004:9 (a function reads the name whenever it runs)


def module_name(name):
    update_execution_metrics(name, STATE)


# stores and deletions name the member itself: reported, never rewritten by a fix
LifecycleState.SUCCESS = "SUCCESS"  # expect: GOV005:1
del LifecycleState.ERROR  # expect: GOV005:5


def statements_that_overwrite(name, rows):
    a = "SUCCESS"
    a += "X"
    update_execution_metrics(name, a)
    b = "SUCCESS"
    import b
    update_execution_metrics(name, b)
    c = "SUCCESS"

    def c():
        pass
    update_execution_metrics(name, c)
    d = "SUCCESS"
    first, *d = rows
    update_execution_metrics(name, d)
    e = "SUCCESS"
    e: str = "FAILED"
    update_execution_metrics(name, e)
    f = "SUCCESS"
    try:
        pass
    finally:
        f = "FAILED"
    update_execution_metrics(name, f)


def statements_that_may_assign(name, rows, command):
    a = "SUCCESS"  # expect: GOV004:9
    try:
        a = "FAILED"
    finally:
        pass
    update_execution_metrics(name, a)
    b = "SUCCESS"  # expect: GOV004:9
    for row in rows:
        b = "FAILED"
    else:
        update_execution_metrics(name, b)
    d = "SUCCESS"  # expect: GOV004:9 (an exception no handler catches reaches the finally)
    try:
        pass
    except Exception:
        d = "ODD"  # expect: GOV004:13
    else:
        d = "FAILED"
    finally:
        update_execution_metrics(name, d)
