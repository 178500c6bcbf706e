"""AIX commands of a NIM master without xCAT (hostent): what the NIM driver runs besides nim."""
