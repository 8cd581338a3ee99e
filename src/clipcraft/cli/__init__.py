"""The commands: click parses the arguments, calls the library and prints what it says."""
