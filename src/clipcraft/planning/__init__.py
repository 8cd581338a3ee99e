"""Recipe and inputs to a Plan: each stage decides one part of the clip, purely, reading no file."""
