"""`python -m clipcraft` runs the same CLI as the `clipcraft` script."""

from clipcraft.cli.main import run

run()
