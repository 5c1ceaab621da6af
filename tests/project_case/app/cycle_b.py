from .cycle_a import Loop, A


class B(A):
    pass
