"""Services: the verbs of the domain, each one transaction, callable without HTTP."""
