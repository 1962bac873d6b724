export { formatCents } from './cart.js'
