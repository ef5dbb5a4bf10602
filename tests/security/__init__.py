"""Security regression tests (issue 16): one file per hole, each red on the code before its fix."""
