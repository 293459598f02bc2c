// The example app: `npm run synth` writes the reference deployment to dist/.
import { App } from 'cdk8s';
import { referenceDeployment } from './examples/reference';

const app = new App();
referenceDeployment(app);
app.synth();
