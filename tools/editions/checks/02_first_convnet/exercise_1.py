# manual: the answer is the prediction written before running conv_result, which only prints
# points: 1
