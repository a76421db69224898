// engine_limits.h - the engine's size limits, in one place.
//
// Every entry point that accepts a size (network specs, JSON, URL state, CLI) checks against these
// and reports a clear error instead of allocating something absurd.
#pragma once

namespace splinescope {

// D: input dimension (D > 2 is shown through a 2-D slice). 784 = 28 x 28, the images of
// Fashion-MNIST; nothing per point or per pixel grows with D except the first layer's product.
constexpr int kMaxInputDim = 784;
constexpr int kMaxHiddenLayers = 8;    // hidden layers
constexpr int kMaxWidth = 64;          // neurons per hidden layer
constexpr int kMaxOutputs = 10;        // C: 1 = binary logit or regression, 2..10 = softmax classes
// Classes of the generated toy datasets and of points placed by hand: as many as a network has
// outputs, each with a colour of its own in the page's class palette (web/views/class_colours.h).
constexpr int kMaxToyClasses = 10;
constexpr int kMaxHiddenNeurons = kMaxHiddenLayers * kMaxWidth; // bits in an activation code
constexpr int kMaxDatasetPoints = 100000;

} // namespace splinescope
