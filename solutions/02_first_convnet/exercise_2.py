no_second_pool = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(64, 3, activation="relu", name="conv_1"),
        keras.layers.MaxPooling2D(name="pool_1"),
        keras.layers.Conv2D(64, 3, activation="relu", name="conv_2"),
        keras.layers.Conv2D(64, 3, activation="relu", name="conv_3"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(64, activation="relu", name="dense_hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ],
    name="no_second_pool",
)
print_summary(no_second_pool)
assert no_second_pool.get_layer("conv_3").output.shape[1:] == (9, 9, 64)
assert no_second_pool.count_params() == 406_986
