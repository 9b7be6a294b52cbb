# Save the model that section 6 trained on into a file that stays next to this notebook.
model_file = Path("lenet5_trained_on.keras")
reloaded.save(model_file)

# compile=False restores the architecture and the weights, nothing else: no optimizer, no
# loss, no metrics. predict works straight away; fit and evaluate need compile first.
weights_only = keras.models.load_model(model_file, compile=False)
print("compiled:", weights_only.compiled)  # False: no optimizer, loss or metrics yet
print("has an optimizer:", hasattr(weights_only, "optimizer"))  # False
same_outputs = np.array_equal(
    weights_only.predict(test_inputs, verbose=0), reloaded.predict(test_inputs, verbose=0)
)
print("predicts exactly like reloaded:", same_outputs)

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
