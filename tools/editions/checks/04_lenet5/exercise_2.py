# points: 1
# names: c3_with_table (C3's count with the connection table), paper_count (the 1998 total)
assert isinstance(c3_with_table, int) and isinstance(paper_count, int), "two whole numbers"
### BEGIN HIDDEN TESTS
assert c3_with_table == 1_516, f"C3: {c3_with_table:,}"
assert paper_count == 60_000, f"paper: {paper_count:,}"
### END HIDDEN TESTS
