"""`make stress`: the archive under crashes, concurrent writers, hostile input, heavy files."""
