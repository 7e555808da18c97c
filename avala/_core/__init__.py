"""The hand-written, I/O-free core shared by the async client and the generated sync client.

Nothing here performs I/O or awaits: configuration, request preparation, error mapping, retry
policy, header bookkeeping, decoding and pagination state. `avala/_async` does the I/O around it.
"""
