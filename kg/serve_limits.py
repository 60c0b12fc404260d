"""``kg serve``'s default limits, apart from the server so that ``kg``'s argument parser can show them without
importing the server (and the network page's pinyin dictionary with it) for every command."""

#: SELECT results are cut to this many rows; a response header says so.
DEFAULT_MAX_ROWS = 10_000
#: A request body over this many bytes is refused with 413.
DEFAULT_MAX_BODY = 1 << 20
