# Passes when PROG ARG exits with a non-zero status (EXIT, if given) and its
# output (stdout and stderr) matches REGEX. CTest's PASS_REGULAR_EXPRESSION
# alone would ignore the exit status.
# usage: cmake -DPROG=... -DARG=... -DREGEX=... [-DEXIT=n] -P expect-report.cmake
execute_process(COMMAND ${PROG} ${ARG} OUTPUT_VARIABLE out ERROR_VARIABLE out
                RESULT_VARIABLE rc)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit status, got 0")
endif()
if(DEFINED EXIT AND NOT rc STREQUAL EXIT)
  message(FATAL_ERROR "expected exit status ${EXIT}, got ${rc}")
endif()
if(NOT out MATCHES "${REGEX}")
  message(FATAL_ERROR "output does not match: ${REGEX}")
endif()
message("expect-report: exit ${rc}, output matches ${REGEX}")
