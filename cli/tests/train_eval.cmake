# train_eval.cmake - train on circles, then check eval's accuracy, the session file and codes.
#
#   cmake -DEXE=path/to/splinescope -DWORK=scratch/dir -P train_eval.cmake
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${WORK}")
set(net "${WORK}/net.json")
set(session "${WORK}/session.json")

include(${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake)

# The accuracy on a line "NAME loss L accuracy A".
function(accuracy_of text name out_var)
  if(NOT text MATCHES "${name} loss [-0-9.e+]+ accuracy ([0-9.]+)")
    message(FATAL_ERROR "no `${name} loss ... accuracy ...` line in:\n${text}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

run_cli(train_out train --dataset circles --layers 16,16 --act relu --steps 400 --seed 7
        --log-every 100 --out "${net}" --save-session "${session}")
if(NOT train_out MATCHES "step 100 loss [0-9.e+-]+ lr")
  message(FATAL_ERROR "train printed no progress line:\n${train_out}")
endif()

run_cli(eval_out eval "${net}" --dataset circles --seed 7)
accuracy_of("${eval_out}" train train_acc)
accuracy_of("${eval_out}" test test_acc)
message(STATUS "circles after 400 steps: train accuracy ${train_acc}, test accuracy ${test_acc}")
if(train_acc LESS 0.9 OR test_acc LESS 0.85)
  message(FATAL_ERROR "accuracy too low:\n${eval_out}")
endif()

# Training prints the same final lines eval computes from the file.
string(FIND "${train_out}" "${eval_out}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "train's final lines differ from eval's:\n${train_out}\n---\n${eval_out}")
endif()

# A session file with weights evaluates on its own dataset, without dataset options.
run_cli(session_out eval "${session}")
if(NOT session_out STREQUAL eval_out)
  message(FATAL_ERROR "eval of the session differs:\n${session_out}\n---\n${eval_out}")
endif()

# The same seed trains the same network.
run_cli(again train --dataset circles --layers 16,16 --steps 400 --seed 7 --quiet
        --out "${WORK}/again.json")
file(READ "${net}" first)
file(READ "${WORK}/again.json" second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "the same command line trained a different network")
endif()

# codes: H lines of W 16-digit hex hashes.
run_cli(codes_out codes "${net}" --grid 12x5 --window -2,2,-1,1)
string(REGEX MATCHALL "[^\n]+\n" lines "${codes_out}")
list(LENGTH lines rows)
if(NOT rows EQUAL 5)
  message(FATAL_ERROR "codes printed ${rows} rows, expected 5:\n${codes_out}")
endif()
list(GET lines 0 first_line)
string(STRIP "${first_line}" first_line)
string(REPLACE " " ";" cells "${first_line}")
list(LENGTH cells columns)
if(NOT columns EQUAL 12)
  message(FATAL_ERROR "codes row has ${columns} values, expected 12: ${first_line}")
endif()
foreach(cell IN LISTS cells)
  string(LENGTH "${cell}" digits)
  if(NOT digits EQUAL 16 OR NOT cell MATCHES "^[0-9a-f]+$")
    message(FATAL_ERROR "codes value is not 16 hex digits: ${cell}")
  endif()
endforeach()
