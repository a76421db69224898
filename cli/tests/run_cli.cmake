# run_cli.cmake - run_cli(OUT args...): runs the splinescope executable ${EXE} with the arguments,
# stops the script with its output when it fails, and puts its standard output in OUT. Included
# by the CLI test scripts.
function(run_cli out_var)
  execute_process(COMMAND "${EXE}" ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "splinescope ${ARGN} exited with ${code}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
