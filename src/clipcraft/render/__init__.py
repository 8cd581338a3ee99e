"""The only place media is opened, composed and encoded: a Plan in, a finished clip out."""
