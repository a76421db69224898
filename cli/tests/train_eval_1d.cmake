# train_eval_1d.cmake - train a 1-input network on the sine dataset of the line, then check eval's
# loss, the session file, and the exact piece count.
#
#   cmake -DEXE=path/to/splinescope -DWORK=scratch/dir -P train_eval_1d.cmake
#
# Thresholds. The targets are 0.9 sin(1.5 x) + noise with x uniform in [-2.5, 2.5] and noise 0.1
# (the default): no network gets below the noise variance 0.01 on average, and predicting the mean
# scores about 0.36 (the targets' variance). A 1-16-16-1 ReLU network after 3000 Adam steps (seed 7)
# reaches train 0.0113 and test 0.0142; over seeds 1..10 the test MSE ranged 0.0098 to 0.0225. So
# both must be below 0.03: three times the noise floor, under a tenth of the variance.
# Pieces. The best continuous fit of 0.9 sin(1.5 x) with 2 linear pieces (one knot) has MSE 0.20
# over [-2.5, 2.5] (least squares over every knot position), and 1 piece 0.28; a fit below 0.03
# must therefore have at least 3 pieces in the window, whatever the weights.
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${WORK}")
set(net "${WORK}/sine.json")
set(session "${WORK}/sine_session.json")

include(${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake)

# The loss on a line "NAME loss L" (regression: no accuracy follows).
function(loss_of text name out_var)
  if(NOT text MATCHES "${name} loss ([0-9.e+-]+)\n")
    message(FATAL_ERROR "no `${name} loss ...` line without accuracy in:\n${text}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

run_cli(train_out train --dataset sine --layers 16,16 --steps 3000 --seed 7 --log-every 1000
        --out "${net}" --save-session "${session}")
if(NOT train_out MATCHES "training 1-16-16-1 relu on sine")
  message(FATAL_ERROR "train did not build a 1-input network:\n${train_out}")
endif()
if(NOT train_out MATCHES "step 1000 loss [0-9.e+-]+ lr")
  message(FATAL_ERROR "train printed no progress line:\n${train_out}")
endif()

run_cli(eval_out eval "${net}" --dataset sine --seed 7)
loss_of("${eval_out}" train train_loss)
loss_of("${eval_out}" test test_loss)
message(STATUS "sine after 3000 steps: train MSE ${train_loss}, test MSE ${test_loss}")
if(NOT train_loss LESS 0.03 OR NOT test_loss LESS 0.03)
  message(FATAL_ERROR "loss too high (the bound is 0.03):\n${eval_out}")
endif()

# Training prints the same final lines eval computes from the file.
string(FIND "${train_out}" "${eval_out}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "train's final lines differ from eval's:\n${train_out}\n---\n${eval_out}")
endif()

# The session file says sine and evaluates the same without dataset options.
file(READ "${session}" session_text)
if(NOT session_text MATCHES "\"name\": \"sine\"")
  message(FATAL_ERROR "the session file does not name the sine dataset:\n${session_text}")
endif()
run_cli(session_out eval "${session}")
if(NOT session_out STREQUAL eval_out)
  message(FATAL_ERROR "eval of the session differs:\n${session_out}\n---\n${eval_out}")
endif()

# The network file takes 1 input.
file(READ "${net}" net_text)
if(NOT net_text MATCHES "\"input_dim\": 1,")
  message(FATAL_ERROR "the network file does not take 1 input")
endif()

# count cuts the interval [-3, 3] into the network's exact pieces: at least 3 (see above).
run_cli(count_out count "${net}")
if(NOT count_out MATCHES "(^|\n)pieces ([0-9]+)\n")
  message(FATAL_ERROR "count printed no `pieces N` line:\n${count_out}")
endif()
set(pieces "${CMAKE_MATCH_2}")
message(STATUS "sine network: ${pieces} pieces on [-3, 3]")
if(pieces LESS 3)
  message(FATAL_ERROR "${pieces} pieces cannot fit the sine below MSE 0.03:\n${count_out}")
endif()
