# expect.cmake - run the CLI once and check its exit code and output.
#
#   cmake -DEXE=path/to/splinescope -DARGS="eval|net.json" -DCODE=1
#         [-DSTDERR=substring] [-DSTDOUT=substring] -P expect.cmake
#
# ARGS separates the arguments with '|' (a ';' would be split by add_test). The substrings are
# plain text, not regular expressions, so messages with brackets and quotes need no escaping.
cmake_minimum_required(VERSION 3.20)
string(REPLACE "|" ";" arg_list "${ARGS}")
execute_process(COMMAND "${EXE}" ${arg_list}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(failed FALSE)
if(NOT "${code}" STREQUAL "${CODE}")
  message(SEND_ERROR "exit code ${code}, expected ${CODE}")
  set(failed TRUE)
endif()
foreach(stream STDERR STDOUT)
  if(DEFINED ${stream})
    if(stream STREQUAL "STDERR")
      set(text "${err}")
    else()
      set(text "${out}")
    endif()
    string(FIND "${text}" "${${stream}}" at)
    if(at EQUAL -1)
      message(SEND_ERROR "${stream} lacks: ${${stream}}")
      set(failed TRUE)
    endif()
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "splinescope ${ARGS}\n--- stdout:\n${out}\n--- stderr:\n${err}")
endif()
