# compile=False restores the architecture and the weights, nothing else: no optimizer, no
# loss, no metrics. predict works straight away; fit and evaluate need compile first.
with tempfile.TemporaryDirectory() as folder:
    model_file = Path(folder) / "lenet5.keras"
    lenet5.save(model_file)
    weights_only = keras.models.load_model(model_file, compile=False)

same_outputs = np.array_equal(
    weights_only.predict(test_inputs, verbose=0), lenet5.predict(test_inputs, verbose=0)
)
print("predicts exactly like lenet5:", same_outputs)

# Train on with a recipe of your choice, here Adam at a small constant rate.
weights_only.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
weights_before = weights_only.get_weights()
weights_only.fit(
    train_inputs,
    train_labels,
    epochs=1,
    batch_size=batch_size,
    validation_split=validation_fraction,
    verbose=2,
)
trained_on = any(
    not np.array_equal(before, after)
    for before, after in zip(weights_before, weights_only.get_weights(), strict=True)
)
print(f"learning rate: {float(weights_only.optimizer.learning_rate):.0e}")
print("weights changed:", trained_on)
assert same_outputs and trained_on
