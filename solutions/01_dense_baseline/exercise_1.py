wider = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ],
    name="wider_baseline",
)
print_summary(wider)
worked_out = (784 * 100 + 100) + (100 * 10 + 10)
print(f"worked out: {worked_out:,}  Keras: {wider.count_params():,}")
assert wider.count_params() == worked_out == 79_510
