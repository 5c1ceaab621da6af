from app.states import DONE, OK


def record(name):
    update_execution_metrics(name, DONE)  # expect: GOV004:36
    update_execution_metrics(name, OK)
