// Placeholder entry point, replaced by the real CLI.
console.log('netseg');
