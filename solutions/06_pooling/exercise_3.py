@keras.saving.register_keras_serializable(package="exercises")
class DepthwiseAvgPool2D(DepthwiseMaxPool2D):
    """The mean over groups of ``pool_size`` consecutive channels."""

    def call(self, inputs):
        # Slice k holds channel k of every group; add the slices up, then divide.
        total = inputs[..., 0 :: self.pool_size]
        for offset in range(1, self.pool_size):
            total = total + inputs[..., offset :: self.pool_size]
        return total / self.pool_size


grayscale = keras.ops.convert_to_numpy(DepthwiseAvgPool2D(pool_size=3)(batch))
print("input:", batch.shape, "-> output:", grayscale.shape)
print("equals the mean of red, green and blue:",
      bool(np.allclose(grayscale[..., 0], batch.mean(axis=-1), atol=1e-6)))

# Save a model that uses the layer and load it back, as section 5 did for the max version.
average_model = keras.Sequential(
    [keras.Input(shape=(None, None, 3)), DepthwiseAvgPool2D(pool_size=3, name="mean_of_three")],
    name="depthwise_average",
)
with tempfile.TemporaryDirectory() as folder:
    average_file = Path(folder) / "depthwise_average.keras"
    average_model.save(average_file)
    reloaded_average = keras.models.load_model(average_file)
reloaded_pool = reloaded_average.get_layer("mean_of_three")
assert type(reloaded_pool) is DepthwiseAvgPool2D and reloaded_pool.pool_size == 3
assert np.array_equal(average_model.predict(region, verbose=0),
                      reloaded_average.predict(region, verbose=0))
print("saved and reloaded:", type(reloaded_pool).__name__, "pool_size =", reloaded_pool.pool_size)
