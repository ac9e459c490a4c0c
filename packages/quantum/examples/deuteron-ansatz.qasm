OPENQASM 2.0;
include "qelib1.inc";
// the deuteron ansatz at its optimal angle: observe with the deuteron Hamiltonian gives about -1.7489
qreg q[2];
x q[0];
ry(0.5944) q[1];
cx q[1], q[0];
