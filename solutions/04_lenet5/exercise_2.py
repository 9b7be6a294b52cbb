# Each C3 map has 25 weights per S2 map it looks at, plus one bias (Table I of the paper):
# six maps look at 3 S2 maps, nine at 4, one at all 6.
c3_with_table = 6 * (3 * 25 + 1) + 9 * (4 * 25 + 1) + 1 * (6 * 25 + 1)
c3_full = classic.get_layer("C3").count_params()
print(f"C3 with the connection table: {c3_with_table:,}   fully connected: {c3_full:,}")

# The paper's 60,000: the classic variant without C3's extra connections and without the
# softmax output layer, whose place the RBF units took (their parameters were chosen by hand
# and kept fixed, at least initially: §II-B).
paper_count = (
    classic.count_params() - (c3_full - c3_with_table) - classic.get_layer("output").count_params()
)
print(f"trainable parameters of the 1998 network: {paper_count:,}")
assert c3_with_table == 1_516 and paper_count == 60_000
