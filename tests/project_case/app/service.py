from app.helpers import execute


def through(name, payload):
    return execute(name, payload)
