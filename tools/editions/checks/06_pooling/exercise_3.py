# points: 1
# names: DepthwiseAvgPool2D (the layer class)
assert issubclass(DepthwiseAvgPool2D, keras.layers.Layer), "a Keras layer"
### BEGIN HIDDEN TESTS
grader_input = np.random.default_rng(3).random((1, 4, 4, 6)).astype("float32")
grader_output = keras.ops.convert_to_numpy(DepthwiseAvgPool2D(pool_size=3)(grader_input))
grader_expected = grader_input.reshape(1, 4, 4, 2, 3).mean(axis=-1)
assert np.allclose(grader_output, grader_expected, atol=1e-6), "the mean of each channel group"
grader_model = keras.Sequential([keras.Input(shape=(4, 4, 6)), DepthwiseAvgPool2D(pool_size=3)])
with tempfile.TemporaryDirectory() as grader_folder:
    grader_file = Path(grader_folder) / "average.keras"
    grader_model.save(grader_file)
    grader_loaded = keras.models.load_model(grader_file)
assert type(grader_loaded.layers[0]).__name__ == "DepthwiseAvgPool2D", "register the layer"
### END HIDDEN TESTS
