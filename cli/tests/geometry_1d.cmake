# geometry_1d.cmake - `tiles` and `count` of a 1-input network, checked against the closed form.
#
#   cmake -DEXE=path/to/splinescope -DWORK=scratch/dir -P geometry_1d.cmake
#
# The network, written below by hand, is f(x) = c + sum_i v_i relu(w_i x + b_i). Neuron i switches
# at x = -b_i / w_i (nowhere when w_i = 0), so in a window (x0, x1):
#   knots     the neurons whose switch lies strictly inside (several can share a point);
#   pieces    the distinct switch points inside, plus 1;
#   on a piece, the neurons active at its middle give f's slope sum v_i w_i and its intercept
#   c + sum v_i b_i, and its code (bit i: neuron i active).
# cmake's math() is integer-only, so positions are kept in thousandths: the weights are chosen so
# that -1000 b_i / w_i is an integer (checked below). if(EQUAL) compares the CLI's numbers
# numerically, so "-1.0" from the JSON equals "-1.000" from here.
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${WORK}")

# Neuron i: w_i, b_i, and its output weight v_i. Two neurons switch at -1 (a shared knot), one at
# 5 (outside the default window), one never (w = 0), one at 0 with b = 0.
set(w 1 -2 2 4 1 0 -1)
set(b 1 1 2 -10 -5 1 0)
set(v 1 1 -2 3 1 1 2)
set(c 1)

list(LENGTH w n)
math(EXPR last "${n} - 1")

# --- the network document -----------------------------------------------------------------------
set(rows "")
set(outs "")
foreach(i RANGE ${last})
  list(GET w ${i} wi)
  list(GET v ${i} vi)
  list(APPEND rows "[${wi}]")
  list(APPEND outs "${vi}")
endforeach()
list(JOIN rows ", " rows)
list(JOIN outs ", " outs)
list(JOIN b ", " biases)
set(net "${WORK}/relu_1d.json")
file(WRITE "${net}" "{
  \"format\": \"splinescope-network\",
  \"version\": 1,
  \"input_dim\": 1,
  \"layers\": [
    {\"activation\": \"relu\", \"weights\": [${rows}], \"bias\": [${biases}]},
    {\"activation\": \"linear\", \"weights\": [[${outs}]], \"bias\": [${c}]}
  ]
}
")

# --- helpers -------------------------------------------------------------------------------------

# Thousandths as a decimal: -2500 -> "-2.500".
function(decimal thousandths out_var)
  set(sign "")
  set(a ${thousandths})
  if(a LESS 0)
    set(sign "-")
    math(EXPR a "0 - ${a}")
  endif()
  math(EXPR whole "${a} / 1000")
  math(EXPR frac "${a} % 1000 + 1000") # 1000..1999: the last 3 digits keep their leading zeros
  string(SUBSTRING "${frac}" 1 3 frac)
  set(${out_var} "${sign}${whole}.${frac}" PARENT_SCOPE)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake)

function(expect_equal what got expected)
  if(NOT "${got}" EQUAL "${expected}")
    message(FATAL_ERROR "${what}: got ${got}, expected ${expected} (closed form)")
  endif()
endfunction()

# The value of `name value` in the output of count.
function(count_value text name out_var)
  if(NOT text MATCHES "(^|\n)${name} ([0-9]+)\n")
    message(FATAL_ERROR "count printed no `${name} N` line:\n${text}")
  endif()
  set(${out_var} "${CMAKE_MATCH_2}" PARENT_SCOPE)
endfunction()

# --- one window ----------------------------------------------------------------------------------

# X0, X1: the window in thousandths. `default` runs without --window (it must then be -3,3).
function(check_window label X0 X1 use_default)
  decimal(${X0} x0)
  decimal(${X1} x1)
  set(window_args --window "${x0},${x1}")
  if(use_default)
    set(window_args "")
  endif()

  # The closed form: knots sorted by position then neuron. Keys are fixed-width strings so that
  # list(SORT) orders them numerically: position + 5 * 10^7 in 8 digits, then the neuron in 2.
  set(keys "")
  foreach(i RANGE ${last})
    list(GET w ${i} wi)
    list(GET b ${i} bi)
    if(wi EQUAL 0)
      continue()
    endif()
    math(EXPR rest "(1000 * ${bi}) % ${wi}")
    if(NOT rest EQUAL 0)
      message(FATAL_ERROR "neuron ${i}: -b/w = -${bi}/${wi} is not a whole number of thousandths")
    endif()
    math(EXPR T "-1000 * ${bi} / ${wi}")
    if(T GREATER X0 AND T LESS X1)
      math(EXPR key "${T} + 50000000")
      math(EXPR neuron "${i} + 100")
      string(SUBSTRING "${neuron}" 1 2 neuron)
      list(APPEND keys "${key}${neuron}")
    endif()
  endforeach()
  list(SORT keys)
  set(knot_ts "")
  set(knot_neurons "")
  set(ends ${X0})
  foreach(key IN LISTS keys)
    string(SUBSTRING "${key}" 0 8 T)
    string(SUBSTRING "${key}" 8 2 neuron)
    math(EXPR T "${T} - 50000000")
    math(EXPR neuron "${neuron}")
    list(APPEND knot_ts ${T})
    list(APPEND knot_neurons ${neuron})
    list(GET ends -1 previous)
    if(NOT T EQUAL previous)
      list(APPEND ends ${T})
    endif()
  endforeach()
  list(APPEND ends ${X1})
  list(LENGTH knot_ts knots)
  list(LENGTH ends pieces)
  math(EXPR pieces "${pieces} - 1")
  math(EXPR positions "${pieces} - 1")

  # count: the figures, each on its own `name value` line.
  run_cli(count_out count "${net}" ${window_args})
  count_value("${count_out}" pieces got)
  expect_equal("${label}: count pieces" ${got} ${pieces})
  count_value("${count_out}" pieces_layer_1 got)
  expect_equal("${label}: count pieces_layer_1" ${got} ${pieces})
  count_value("${count_out}" knots got)
  expect_equal("${label}: count knots" ${got} ${knots})
  count_value("${count_out}" knot_positions got)
  expect_equal("${label}: count knot_positions" ${got} ${positions})

  # tiles: SVG and JSON.
  set(svg "${WORK}/${label}.svg")
  set(json "${WORK}/${label}.json")
  file(REMOVE "${svg}" "${json}")
  run_cli(tiles_out tiles "${net}" ${window_args} --svg "${svg}" --json "${json}")
  if(NOT tiles_out STREQUAL "pieces ${pieces}\n")
    message(FATAL_ERROR "${label}: tiles printed \"${tiles_out}\", expected \"pieces ${pieces}\"")
  endif()

  file(READ "${svg}" svg_text)
  string(REGEX MATCHALL "<line " lines "${svg_text}")
  list(LENGTH lines got)
  expect_equal("${label}: <line elements in the SVG" ${got} ${pieces})
  string(REGEX MATCHALL "<circle " circles "${svg_text}")
  list(LENGTH circles got)
  expect_equal("${label}: <circle elements (knots) in the SVG" ${got} ${knots})

  file(READ "${json}" json_text)
  string(JSON status GET "${json_text}" status)
  if(NOT status STREQUAL "ok")
    message(FATAL_ERROR "${label}: JSON status ${status}")
  endif()
  string(JSON got GET "${json_text}" t0)
  expect_equal("${label}: JSON t0" ${got} ${x0})
  string(JSON got GET "${json_text}" t1)
  expect_equal("${label}: JSON t1" ${got} ${x1})
  string(JSON got GET "${json_text}" pieces_per_layer 0)
  expect_equal("${label}: JSON pieces_per_layer[0]" ${got} ${pieces})

  string(JSON got LENGTH "${json_text}" pieces)
  expect_equal("${label}: JSON pieces" ${got} ${pieces})
  math(EXPR last_piece "${pieces} - 1")
  foreach(p RANGE ${last_piece})
    list(GET ends ${p} lo)
    math(EXPR next "${p} + 1")
    list(GET ends ${next} hi)
    # Active at the middle (lo + hi) / 2: w (lo + hi) + 2000 b > 0, all in thousandths.
    set(code "")
    set(slope 0)
    set(intercept ${c})
    foreach(i RANGE ${last})
      list(GET w ${i} wi)
      list(GET b ${i} bi)
      list(GET v ${i} vi)
      math(EXPR h "${wi} * (${lo} + ${hi}) + 2000 * ${bi}")
      if(h GREATER 0)
        string(APPEND code 1)
        math(EXPR slope "${slope} + ${vi} * ${wi}")
        math(EXPR intercept "${intercept} + ${vi} * ${bi}")
      else()
        string(APPEND code 0)
      endif()
    endforeach()
    decimal(${lo} lo_text)
    decimal(${hi} hi_text)
    string(JSON got GET "${json_text}" pieces ${p} t0)
    expect_equal("${label}: piece ${p} t0" ${got} ${lo_text})
    string(JSON got GET "${json_text}" pieces ${p} t1)
    expect_equal("${label}: piece ${p} t1" ${got} ${hi_text})
    string(JSON got GET "${json_text}" pieces ${p} slope 0)
    expect_equal("${label}: piece ${p} slope" ${got} ${slope})
    string(JSON got GET "${json_text}" pieces ${p} intercept 0)
    expect_equal("${label}: piece ${p} intercept" ${got} ${intercept})
    string(JSON got GET "${json_text}" pieces ${p} code)
    if(NOT got STREQUAL code)
      message(FATAL_ERROR "${label}: piece ${p} code ${got}, expected ${code} (closed form)")
    endif()
  endforeach()

  string(JSON got LENGTH "${json_text}" knots)
  expect_equal("${label}: JSON knots" ${got} ${knots})
  if(knots GREATER 0)
    math(EXPR last_knot "${knots} - 1")
    foreach(k RANGE ${last_knot})
      list(GET knot_ts ${k} T)
      list(GET knot_neurons ${k} neuron)
      decimal(${T} t_text)
      string(JSON got GET "${json_text}" knots ${k} t)
      expect_equal("${label}: knot ${k} t" ${got} ${t_text})
      string(JSON got GET "${json_text}" knots ${k} neuron)
      expect_equal("${label}: knot ${k} neuron" ${got} ${neuron})
      string(JSON got GET "${json_text}" knots ${k} layer)
      expect_equal("${label}: knot ${k} layer" ${got} 0)
    endforeach()
  endif()
  message(STATUS "${label}: [${x0}, ${x1}] ${pieces} pieces, ${knots} knots")
endfunction()

# The default window -3,3: knots at -1 (twice), 0, 0.5, 2.5; 5 is outside.
check_window(default -3000 3000 TRUE)
# A switch at a window end (-1) makes no knot; 5 is inside.
check_window(end_on_knot -1000 6000 FALSE)
# One knot: 2 pieces.
check_window(one_knot 250 750 FALSE)
# No knot: 1 piece, the affine map of the neurons active there.
check_window(no_knot 3000 4500 FALSE)
