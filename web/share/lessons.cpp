// lessons.cpp - the lessons gallery (lessons.h). The tests check that every query reads without a
// note and that every lesson loads and renders in the browser. A lesson that trains sets its pace
// so that its run takes about twenty seconds to watch.
#include "lessons.h"

namespace splinescope {

const std::vector<Lesson>& lessons() {
  static const std::vector<Lesson> all = {
      {"lines", "One layer is a line arrangement",
       "One hidden layer of 6 ReLUs: each neuron is zero along one straight line, and the 6 lines "
       "cut the plane into convex tiles (at most 1 + 6 + 15 = 22). Neuron 1.2 is highlighted. "
       "Press play: training only moves the lines.",
       "data=circles&layers=6&neuron=1.2&pace=150&play=1&steps=3000",
       {ClaimKind::arrangement_bound}},
      {"depth", "Depth subdivides every tile",
       "Coloured by the first layer's codes only: a line arrangement. Press 2, then 3 (or use "
       "'layers coloured'): each layer cuts the tiles of the layers before it into smaller ones, "
       "along lines that bend where they cross earlier boundaries.",
       "data=circles&layers=6,6,6&layer=1&neuron=2.0", {ClaimKind::depth_refines}},
      {"line", "On a line, a network is a polyline",
       "A 1-16-16-1 ReLU network fitting a sine: with one input, the affine spline is a polyline. "
       "It is affine on each piece (a 1-D tile, shaded in its code's colour) and bends only at "
       "knots, where a neuron switches on or off (dots in their layer's colour). Hover the curve "
       "for a piece's slope and intercept; the tile chart counts the pieces.",
       "data=sine&layers=16,16&pace=150&play=1&steps=3000",
       {ClaimKind::polyline_fit, 0.05}},
      {"neurons", "Each neuron is a line, then a bent line",
       "The network graph shows every neuron over the view: on (orange) or off (blue). A "
       "first-layer neuron switches along a straight line; a second-layer neuron along a line "
       "that bends where it crosses the first layer's lines. Hover a node to draw its zero set on "
       "the canvas; click it to keep it.",
       "data=circles&layers=6,6&neuron=2.1&panels=controls,data,network,optimizer,view,export,charts,"
       "lessons,inspector,graph",
       {ClaimKind::bent_neurons}},
      {"code", "The code is the network's on/off pattern",
       "Move the cursor over the canvas: the lit nodes of the network graph are the neurons that "
       "are on there. That on/off pattern is the tile's code. It stays the same inside a tile and "
       "changes when the cursor crosses an edge: one neuron for each edge crossed.",
       "data=moons&layers=8,8&panels=controls,data,network,optimizer,view,export,charts,lessons,"
       "inspector,graph",
       {ClaimKind::edge_crossings}},
      {"spline", "The network is an affine spline",
       "A depth-4, width-20 network fitting a ripple. Its graph is made of flat facets, one per "
       "tile, joined along the tile edges: f is affine on every tile. Drag to orbit; press V for "
       "the flat view.",
       "data=ripple&layers=20,20,20,20&3d=1&pace=200&play=1&steps=4000", {ClaimKind::affine_tiles}},
      {"boundary", "The decision boundary is a polyline",
       "The bold curve is where the logit is zero. The logit is affine on each tile, so inside a "
       "tile the boundary is one straight segment; it bends only where it crosses a tile edge.",
       "data=moons&layers=8,8&pace=100&play=1&steps=2000", {ClaimKind::boundary_segments}},
      {"images", "A slice through image space",
       "A network trained on Fashion-MNIST photos, seen on the plane through three of them: a "
       "T-shirt, a trouser and a sneaker (the stars). Each tile is one affine map from the 784 "
       "pixels to the ten class scores, and the bold lines are where the predicted class changes. "
       "Hover to see the image at any point of the plane.",
       "data=fashion-mnist&layers=32,32&color=output&pace=100&play=1&steps=1500", {ClaimKind::plane_images}},
      {"relu", "ReLU",
       "ReLU zeroes negative inputs: each neuron's line splits the plane into a half where the "
       "neuron is off and a half where it passes its input on. Compare with leaky ReLU and the "
       "absolute value on the same data.",
       "data=xor&layers=8,8&act=relu&pace=100&play=1&steps=2000"},
      {"leaky", "Leaky ReLU",
       "Leaky ReLU (slope 0.2 below zero) cuts the plane along the same kind of lines as ReLU, "
       "but no neuron is ever fully off, so no tile is flat: f has a slope on every tile.",
       "data=xor&layers=8,8&act=leaky_relu&alpha=0.2&pace=100&play=1&steps=2000", {ClaimKind::no_flat_tiles}},
      {"abs", "Absolute value",
       "The absolute value folds the plane along each neuron's line: the neuron gives the same "
       "value at mirror points on either side, so the next layer sees the two sides folded onto "
       "each other. Compare its tiles with ReLU's on the same data.",
       "data=xor&layers=8,8&act=abs&pace=100&play=1&steps=2000"},
      {"wide", "Width: one wide layer",
       "One layer of 48 neurons (193 parameters): 48 straight lines, so at most 1 + 48 + 1128 "
       "tiles, cut across the whole plane. Compare with the deep network of the next lesson.",
       "data=spiral&layers=48&pace=150&play=1&steps=3000", {ClaimKind::arrangement_bound}},
      {"deep", "Depth: four narrow layers",
       "Four layers of 8 neurons (249 parameters): each layer cuts the tiles of the layers before "
       "it, along lines that bend at earlier boundaries. Press 1 to 4 to colour by the first "
       "layers only and watch the tiles multiply.",
       "data=spiral&layers=8,8,8,8&pace=150&play=1&steps=3000", {ClaimKind::depth_refines}},
      {"widedeep", "Wide against deep",
       "Pane A: one layer of 64 neurons, 64 straight lines across the whole plane. Pane B: three "
       "layers of 8, whose lines bend along each other's. With fewer parameters and far fewer "
       "tiles, the deep network fits the spiral as well.",
       "data=spiral&pace=150&play=1&steps=3000&compare=layers:64|layers:8,8,8",
       {ClaimKind::compare_depth_economy, 0.95}},
      {"batchnorm", "Batch normalisation adapts the tiles to the data",
       "Pane A trains without batch normalisation, pane B with it: each neuron is centred on its "
       "batch, so its line passes through the data. Watch the tiles gather where the points are, "
       "and local complexity near them (the LC chart) stay above pane A's.",
       "data=moons&noise=0.15&layers=16,16&pace=100&play=1&steps=600&compare=bn:0|bn:1",
       {ClaimKind::compare_data_density, 1.2}},
      {"bnjitter", "Batch norm shakes the tiles from batch to batch",
       "In training, batch norm centres and scales each neuron by the statistics of the batch at "
       "hand, so every batch sees its own tiles and its own decision boundary. Drawn here with a "
       "new batch of 16 twice a second: the tiles shake, like dropout's noise. Untick 'batch "
       "statistics' under View for the running averages, the network as it is evaluated.",
       "data=moons&noise=0.15&layers=16,16&bn=1&batch=16&bn_view=batch&pace=20&play=1&steps=300",
       {ClaimKind::batch_jitter, 0.2}},
      {"activations", "ReLU, leaky ReLU and the absolute value",
       "The same network and data with three activations. All three cut the plane along bent "
       "lines into convex tiles; ReLU switches neurons off (flat where all are off), leaky ReLU "
       "never quite does, and the absolute value folds the plane along each line, so deeper "
       "layers cut both sides alike.",
       "data=xor&layers=8,8&pace=100&play=1&steps=2000&compare=act:relu|act:leaky_relu;alpha:0.2|act:abs"},
      {"init", "Initialisation scale sets the tile density",
       "Two untrained networks, weights drawn uniformly from [-0.2, 0.2] (A) and [-1.5, 1.5] (B), "
       "the same biases. A neuron's line lies at distance |b| / |w| from the origin: small weights "
       "push the lines out of view, large ones bring them in, and the tiles with them.",
       "data=circles&layers=16,16&compare=init:uniform;init_scale:0.2|init:uniform;init_scale:1.5",
       {ClaimKind::compare_more_tiles, 2.0}},
      {"long", "Long training: tiles gather at the boundary",
       "Watch the local complexity chart: early on, tiles crowd around the training points; with "
       "long training (AdamW, weight decay 0.01, 100,000 steps) they leave the data and gather at "
       "the decision boundary. Set the weight decay to 0 and they stay.",
       "data=circles&layers=16,16,16&opt=adamw&wd=0.01&pace=max&play=1&steps=100000",
       {ClaimKind::complexity_migration, 0.25}},
      {"decay", "Weight decay moves the tiles to the boundary",
       "The long run of the previous lesson twice: without weight decay (A) and with 0.01 (B), "
       "AdamW both. Watch the local complexity chart: with weight decay the tiles leave the "
       "training points and gather at the decision boundary; without, they stay.",
       "data=circles&layers=16,16,16&opt=adamw&pace=max&play=1&steps=100000&compare=wd:0|wd:0.01",
       {ClaimKind::compare_migration, 0.25}},
  };
  return all;
}

const Lesson* find_lesson(const std::string& id) {
  for (const Lesson& l : lessons())
    if (id == l.id) return &l;
  return nullptr;
}

} // namespace splinescope
