function mpc = tiny
% A three-bus grid for the tiny city: a plant at bus 1 feeding two substations
% radially. Bus 3 also feeds the pump station.
mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1	0	110	1	1.1	0.9;
	2	1	30	5	0	0	1	1	0	110	1	1.1	0.9;
	3	1	20	4	0	0	1	1	0	110	1	1.1	0.9;
];

%% generator data
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	1	50	0	100	-100	1.02	100	1	200	0;
];

%% branch data
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	1	2	0.01	0.1	0	100	100	100	0	0	1	-360	360;
	1	3	0.01	0.1	0	100	100	100	0	0	1	-360	360;
];
