"""The xCAT face of the management node: object database commands and hardware control."""
