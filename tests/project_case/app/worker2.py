import app.states as states
from app import states as st


def record(name):
    update_execution_metrics(name, states.DONE)  # expect: GOV004:36
    update_execution_metrics(name, st.OK)


def shadowed(name, states):
    update_execution_metrics(name, states.DONE)


update_execution_metrics("boot", st.DONE)  # expect: GOV004:34
