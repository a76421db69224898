// trainer_pre.js - before the training worker's engine starts: its wasm file is the one named in
// the worker's address after '#' (the page passes the content-hashed, absolute name).
Module.locateFile = function (path) {
  var named = self.location.hash ? decodeURIComponent(self.location.hash.slice(1)) : '';
  return path.endsWith('.wasm') && named ? named : path;
};
