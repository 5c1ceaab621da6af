from enum import Enum


class LifecycleState(Enum):
    RUNNING = "RUNNING"


PluginState = LifecycleState
