longer = helpers.training_epochs(full=8, quick=1)
plain_schedule = one_cycle_schedule(3e-3, longer, len(train_inputs), batch_size)
plain = compact_convnet(batch_norm=False, name="plain")
plain.compile(
    optimizer=keras.optimizers.Adam(learning_rate=plain_schedule),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
start = time.perf_counter()
plain_history = plain.fit(
    train_inputs,
    train_labels,
    epochs=longer,
    batch_size=batch_size,
    validation_data=(valid_inputs, valid_labels),
    verbose=2,
)
plain_seconds = time.perf_counter() - start
print(
    f"no batch norm, {longer} epochs: validation accuracy"
    f" {plain_history.history['val_accuracy'][-1]:.2%} in {plain_seconds:.0f} s"
)
# The batch-normalised run restored the weights of its best epoch.
print(
    f"batch norm, {len(history.epoch)} epochs: validation accuracy"
    f" {max(history.history['val_accuracy']):.2%} in {training_seconds:.0f} s"
)
assert len(plain_history.epoch) == longer
assert plain.count_params() == 421_642  # no γ, β or moving statistics; biases are back
