"""The Learning Record Store's HTTP face: the xAPI 1.0.3 and 2.0 resources under /xapi/."""
