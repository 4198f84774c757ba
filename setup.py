"""Build the one C extension (extraction._pagewalk); everything else is in pyproject.toml.

The module resolves Lexbor from selectolax's shared object at import time, so it needs no
Lexbor headers or libraries here: only a C compiler and the Python headers.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "extraction._pagewalk",
            sources=["extraction/_pagewalk.c"],
            libraries=["dl"],
            extra_compile_args=[
                "-O2",
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Wno-unused-parameter",
                "-Werror=implicit-function-declaration",
            ],
        )
    ]
)
