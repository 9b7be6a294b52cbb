# padding="same" with a 5×5 kernel adds two rows and columns of zeros on each side, exactly
# what ZeroPadding2D(2) did: C1 keeps 28×28, S2 gives 14×14, C3 10×10, S4 5×5, and from
# there on nothing changes. The padding layer had no weights, so the count stays 61,706.
from helpers.checks import check_output_shape  # notebook 03's shape check

same_padded = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(6, kernel_size=5, padding="same", activation="relu", name="C1"),
        keras.layers.MaxPooling2D(pool_size=2, name="S2"),
        keras.layers.Conv2D(16, kernel_size=5, activation="relu", name="C3"),
        keras.layers.MaxPooling2D(pool_size=2, name="S4"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(120, activation="relu", name="C5"),
        keras.layers.Dense(84, activation="relu", name="F6"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ],
    name="lenet5_same_padding",
)
# Checking the model's output shape shows every layer's shape, with its arithmetic.
assert check_output_shape((10,), same_padded)
assert check_param_count(61_706, same_padded)

# The same function, too: with the trained weights copied over, the predictions agree.
same_padded.set_weights(lenet5.get_weights())
same_predictions = np.allclose(
    same_padded.predict(test_inputs, verbose=0), lenet5.predict(test_inputs, verbose=0), atol=1e-5
)
print("same predictions as lenet5:", same_predictions)
assert same_predictions
