# fashion_mnist.cmake - train on the first 3,000 Fashion-MNIST training images, evaluate on the
# first 1,000 test images, check eval repeats train's figures, tile the plane through three
# training images (slice, count) and write the page's image asset.
#
#   cmake -DEXE=path/to/splinescope -DWORK=scratch/dir [-DDATA=dir] -P fashion_mnist.cmake
#
# Skipped (ctest shows "Skipped") when the data is not installed; scripts/setup.sh installs it.
cmake_minimum_required(VERSION 3.20)
if(NOT DATA)
  set(DATA /usr/share/datasets/fashion-mnist)
endif()
if(NOT EXISTS "${DATA}/train-images-idx3-ubyte.gz" AND NOT EXISTS "${DATA}/train-images-idx3-ubyte")
  message(STATUS "skipped: Fashion-MNIST is not installed in ${DATA} (apt-get install dataset-fashion-mnist, or run scripts/setup.sh)")
  return()
endif()
file(MAKE_DIRECTORY "${WORK}")
include(${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake)

function(accuracy_of text name out_var)
  if(NOT text MATCHES "${name} loss [-0-9.e+]+ accuracy ([0-9.]+)")
    message(FATAL_ERROR "no `${name} loss ... accuracy ...` line in:\n${text}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# 300 steps of 64 (6.4 passes over 3,000 images) take well under a second. Chance is 0.1; this
# run reaches about 0.80 on the test images, a linear model about 0.84 on the full data: 0.7
# leaves room for platform differences and fails on anything broken (labels shuffled against the
# images, pixels misread, the wrong split), which lands near 0.1.
set(net "${WORK}/fashion.json")
run_cli(train_out train --dataset fashion-mnist --data-dir "${DATA}" --train-images 3000
        --test-images 1000 --layers 32 --steps 300 --seed 3 --out "${net}")
if(NOT train_out MATCHES "training 784-32-10 relu on fashion-mnist \\(3000 train, 1000 test images\\)")
  message(FATAL_ERROR "unexpected header:\n${train_out}")
endif()
accuracy_of("${train_out}" test test_acc)
accuracy_of("${train_out}" train train_acc)
message(STATUS "Fashion-MNIST, 3,000 images, 300 steps: train accuracy ${train_acc}, test ${test_acc}")
if(test_acc LESS 0.7 OR train_acc LESS 0.7)
  message(FATAL_ERROR "accuracy too low:\n${train_out}")
endif()

# eval of the saved network on the same images prints train's final lines; a 784-input network
# needs no --dataset.
run_cli(eval_out eval "${net}" --data-dir "${DATA}" --train-images 3000 --test-images 1000)
string(FIND "${train_out}" "${eval_out}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "eval differs from train's final lines:\n${train_out}\n---\n${eval_out}")
endif()

# The image asset: 28 header bytes + 3,500 images x (1 label + 4 index + 784 pixel bytes).
set(asset "${WORK}/fashion.ssimg")
run_cli(asset_out image-asset --data-dir "${DATA}" --out "${asset}")
file(SIZE "${asset}" size)
if(NOT size EQUAL 2761528)
  message(FATAL_ERROR "the asset has ${size} bytes, expected 2761528")
endif()
file(READ "${asset}" magic LIMIT 8 HEX)
if(NOT magic STREQUAL "5353494d41474553") # "SSIMAGES"
  message(FATAL_ERROR "the asset starts with \"${magic}\"")
endif()
# Train labels (offset 28): the first image of every class in the published file's order. The
# published training file begins with labels 9, 0, 0, 3, 0, 2, 7, 2, 5, 5, so the subset begins
# with the same (the first 250 of each class keep the file's order).
file(READ "${asset}" head OFFSET 28 LIMIT 10 HEX)
if(NOT head STREQUAL "09000003000207020505")
  message(FATAL_ERROR "the asset's first training labels are ${head}")
endif()

# The plane through training images 0, 1, 2 (classes 9, 0, 0: Ankle boot, T-shirt/top twice).
set(svg "${WORK}/slice.svg")
set(json "${WORK}/slice.json")
run_cli(slice_out slice "${net}" --data-dir "${DATA}" --images 0,1,2 --svg "${svg}" --json "${json}")
if(NOT slice_out MATCHES "tiles ([0-9]+)\n")
  message(FATAL_ERROR "slice printed no tile count:\n${slice_out}")
endif()
set(slice_tiles ${CMAKE_MATCH_1})
if(slice_tiles LESS 10)
  message(FATAL_ERROR "only ${slice_tiles} tiles on the plane through three images")
endif()
foreach(line "image_a train 0 at 0,0 class Ankle boot predicted " "image_b train 1 at 1,0 class T-shirt/top"
        "image_c train 2 at 0,1 class T-shirt/top")
  string(FIND "${slice_out}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "slice did not print `${line}`:\n${slice_out}")
  endif()
endforeach()
file(READ "${svg}" svg_text)
string(REGEX MATCHALL "<g id=\"stars\"[^>]*>\n(<path d=\"M[^\"]+\"/>\n)+" stars "${svg_text}")
string(REGEX MATCHALL "<path d=\"M" star_paths "${stars}")
list(LENGTH star_paths star_count)
if(NOT star_count EQUAL 3)
  message(FATAL_ERROR "the SVG has ${star_count} stars, expected 3")
endif()
file(READ "${json}" json_text)
string(JSON tile_count LENGTH "${json_text}" tiles)
string(JSON second_index GET "${json_text}" slice images 1 index)
string(JSON param GET "${json_text}" slice parameterisation)
if(NOT tile_count EQUAL slice_tiles OR NOT second_index EQUAL 1 OR NOT param MATCHES "a \\+ u \\(b - a\\)")
  message(FATAL_ERROR "the slice JSON has ${tile_count} tiles, image 1 index ${second_index}, '${param}'")
endif()
# count on the same plane counts the same tiles.
run_cli(count_out count "${net}" --data-dir "${DATA}" --images 0,1,2)
if(NOT count_out MATCHES "^tiles ${slice_tiles}\n")
  message(FATAL_ERROR "count on the slice differs from slice's ${slice_tiles} tiles:\n${count_out}")
endif()
