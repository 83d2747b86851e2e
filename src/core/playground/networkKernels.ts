// The network's inner loops over a layer, one switch per layer so that the loops themselves call no
// helper: the activation, its derivative, and the weight step with its regularization. Codes instead
// of names (network.ts maps one to the other), so the hot path compares small integers.
export const enum Act {
  Tanh,
  Relu,
  Sigmoid,
  Linear,
}

/** a[from…to) = f(z[from…to)); one switch per layer, so the inner loops call no helper. */
export function activateRange(act: Act, z: Float64Array, a: Float64Array, from: number, to: number): void {
  switch (act) {
    case Act.Tanh:
      for (let k = from; k < to; k++) a[k] = Math.tanh(z[k]);
      break;
    case Act.Relu:
      for (let k = from; k < to; k++) a[k] = Math.max(0, z[k]);
      break;
    case Act.Sigmoid:
      for (let k = from; k < to; k++) a[k] = 1 / (1 + Math.exp(-z[k]));
      break;
    default:
      for (let k = from; k < to; k++) a[k] = z[k];
  }
}

/** d[k] = outDer[k]·f′(z[k]) over a layer; tanh and sigmoid take f′ from the output a. */
export function backRange(act: Act, z: Float64Array, a: Float64Array, outDer: Float64Array, d: Float64Array, from: number, to: number): void {
  switch (act) {
    case Act.Tanh:
      for (let k = from; k < to; k++) d[k] = outDer[k] * (1 - a[k] * a[k]);
      break;
    case Act.Relu:
      for (let k = from; k < to; k++) d[k] = outDer[k] * (z[k] <= 0 ? 0 : 1);
      break;
    case Act.Sigmoid:
      for (let k = from; k < to; k++) d[k] = outDer[k] * (a[k] * (1 - a[k]));
      break;
    default:
      // Linear: f′ = 1, and x·1 = x exactly.
      for (let k = from; k < to; k++) d[k] = outDer[k];
  }
}

export const enum Reg {
  None,
  L1,
  L2,
}

/**
 * One gradient step on every live weight (`step` = learning rate / batch size), then the penalty's
 * step (`regStep` = learning rate × regularization rate); clears the accumulated gradient. L1 is a
 * proximal step: a weight it pushes across zero is set to 0 and its link is dead for good.
 */
export function stepWeights(w: Float64Array, gw: Float64Array, dead: Uint8Array, step: number, reg: Reg, regStep: number): void {
  for (let k = 0; k < w.length; k++) {
    if (dead[k] !== 0) {
      gw[k] = 0;
      continue;
    }
    const old = w[k];
    const moved = old - step * gw[k];
    gw[k] = 0;
    if (reg === Reg.None) {
      w[k] = moved;
    } else if (reg === Reg.L2) {
      // Penalty ½·rate·w², its gradient taken at the weight before this step.
      w[k] = moved - regStep * old;
    } else {
      const next = moved - regStep * (old < 0 ? -1 : old > 0 ? 1 : 0);
      if (moved * next < 0) {
        // The penalty pushed the weight across zero: it is set to 0 and the link is dead for good.
        w[k] = 0;
        dead[k] = 1;
      } else {
        w[k] = next;
      }
    }
  }
}
