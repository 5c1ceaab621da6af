from .cycle_b import Loop, B


class A(B):
    pass
